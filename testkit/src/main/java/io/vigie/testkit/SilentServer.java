package io.vigie.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server on loopback that accepts connections and never answers: a provider that hangs. */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SilentServer() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          held.add(socket.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static SilentServer start() {
    return new SilentServer();
  }

  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/stats";
  }

  /** Connections accepted so far: requests sent to it. */
  public int connections() {
    return held.size();
  }

  @Override
  public void close() {
    try {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
