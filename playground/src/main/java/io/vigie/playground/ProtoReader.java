package io.vigie.playground;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Protocol-buffers wire format, read field by field: what decoding a small Kubernetes object needs. */
final class ProtoReader {
  /** One field as it came: its number, and its value (a number, or the bytes of a string or message). */
  record Field(int number, long varint, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    ProtoReader message() {
      return new ProtoReader(bytes);
    }
  }

  private final byte[] data;
  private int at;

  ProtoReader(byte[] data) {
    this.data = data;
  }

  List<Field> fields() {
    List<Field> fields = new ArrayList<>();
    while (at < data.length) {
      long tag = varint();
      int number = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      switch (type) {
        case 0 -> fields.add(new Field(number, varint(), null));
        case 1 -> {
          at += 8;
          fields.add(new Field(number, 0, null));
        }
        case 2 -> {
          int length = (int) varint();
          byte[] bytes = java.util.Arrays.copyOfRange(data, at, at + length);
          at += length;
          fields.add(new Field(number, 0, bytes));
        }
        case 5 -> {
          at += 4;
          fields.add(new Field(number, 0, null));
        }
        default -> throw new IllegalArgumentException("protobuf wire type " + type + " is not supported");
      }
    }
    return fields;
  }

  private long varint() {
    long value = 0;
    int shift = 0;
    while (true) {
      byte b = data[at++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
      shift += 7;
    }
  }
}
