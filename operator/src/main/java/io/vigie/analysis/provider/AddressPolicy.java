package io.vigie.analysis.provider;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a Rollout's author may make the operator send requests (providers, redirects). The operator's
 * network position is not the author's: by default it refuses loopback, link-local (which holds the
 * cloud metadata services), unspecified and multicast addresses, the known metadata names and
 * addresses, and the API server. In-cluster addresses (Service and pod IPs, private ranges) stay
 * allowed: that is where Prometheus lives. An admin allows more with {@code --allowed-provider-hosts}
 * (host names, IP addresses or CIDR ranges). Checks are made on the addresses a name resolves to at
 * the time of the request, not on the name: a name that resolves to 169.254.169.254 is refused.
 */
public final class AddressPolicy {
  static final String API_SERVER = "is the Kubernetes API server";
  private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "metadata.azure.com");
  private static final List<Cidr> METADATA_ADDRESSES = List.of(Cidr.parse("fd00:ec2::254/128"), Cidr.parse("100.100.100.200/32"));

  private final List<String> allowedNames;
  private final List<Cidr> allowedRanges;
  private final Optional<URI> apiServer;

  private AddressPolicy(List<String> allowedNames, List<Cidr> allowedRanges, Optional<URI> apiServer) {
    this.allowedNames = allowedNames;
    this.allowedRanges = allowedRanges;
    this.apiServer = apiServer;
  }

  /**
   * @param allowed host names, IP addresses or CIDR ranges the admin allows although they would be refused
   * @param apiServer the API server the operator talks to: always refused (its host and port), allowlist or not
   */
  public static AddressPolicy of(List<String> allowed, Optional<URI> apiServer) {
    List<String> names = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String entry : allowed) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      Optional<Cidr> cidr = Cidr.tryParse(e);
      if (cidr.isPresent()) {
        ranges.add(cidr.get());
      } else {
        names.add(e);
      }
    }
    return new AddressPolicy(List.copyOf(names), List.copyOf(ranges), apiServer);
  }

  /** The policy with no admin allowlist and no API server known: what unit tests of the providers start from. */
  public static AddressPolicy defaults() {
    return of(List.of(), Optional.empty());
  }

  /**
   * Why a request to this URL is refused, or empty when it may go. With {@code resolve} the host
   * name is resolved and every address checked; without, only the name and a literal address are
   * (validation, which must not depend on DNS).
   */
  public Optional<String> refusal(URI uri, boolean resolve) {
    String host = host(uri);
    if (isApiServer(uri, resolve)) {
      return Optional.of(host + ":" + port(uri) + " " + API_SERVER);
    }
    if (allowedNames.contains(host)) {
      return Optional.empty();
    }
    if (METADATA_NAMES.contains(host)) {
      return Optional.of(host + " is a cloud metadata service");
    }
    boolean literal = Cidr.isLiteral(host);
    if (!literal && !resolve) {
      return Optional.empty();
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      // The request fails with the same cause and says so.
      return Optional.empty();
    }
    for (InetAddress address : addresses) {
      Optional<String> why = refusal(address);
      if (why.isPresent()) {
        return Optional.of((literal ? host : host + " resolves to " + address.getHostAddress()) + ", " + why.get());
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(InetAddress address) {
    if (allowedRanges.stream().anyMatch(r -> r.contains(address))) {
      return Optional.empty();
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address (the operator's own host)");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address (where cloud metadata services answer)");
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return Optional.of("not an address a provider answers on");
    }
    if (METADATA_ADDRESSES.stream().anyMatch(r -> r.contains(address))) {
      return Optional.of("a cloud metadata service");
    }
    return Optional.empty();
  }

  /** The same host (by name, or by any address both resolve to) and port as the API server. */
  private boolean isApiServer(URI uri, boolean resolve) {
    if (apiServer.isEmpty() || port(uri) != port(apiServer.get())) {
      return false;
    }
    String host = host(uri);
    String api = host(apiServer.get());
    if (host.equals(api)) {
      return true;
    }
    if (!resolve && !(Cidr.isLiteral(host) && Cidr.isLiteral(api))) {
      return false;
    }
    try {
      List<InetAddress> apis = List.of(InetAddress.getAllByName(api));
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (apis.contains(address)) {
          return true;
        }
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }

  private static String host(URI uri) {
    return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** An IPv4 or IPv6 range, e.g. 10.0.0.0/8 or 127.0.0.1 (a single address). */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      return tryParse(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an address or a CIDR range"));
    }

    static Optional<Cidr> tryParse(String text) {
      String[] parts = text.split("/", 2);
      if (!isLiteral(parts[0])) {
        return Optional.empty();
      }
      try {
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        return bits < 0 || bits > network.length * 8 ? Optional.empty() : Optional.of(new Cidr(network, bits));
      } catch (UnknownHostException | NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** An IP address written as such (no DNS lookup is needed to read it). */
    static boolean isLiteral(String host) {
      return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-fA-F:.]+"));
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (address instanceof Inet6Address v6 && network.length == 4 && isMappedV4(a)) {
        a = java.util.Arrays.copyOfRange(a, 12, 16);
      }
      if (a.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isMappedV4(byte[] a) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return false;
        }
      }
      return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
  }
}
