package io.gannet.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server for tests, on 127.0.0.1 at an ephemeral port, UDP and TCP on
 * the same port. It serves the MX, A, AAAA and CNAME records it is given (CNAMEs chased within
 * its own data), NOERROR with an empty answer for a known name without records of the asked
 * type, NXDOMAIN for unknown names, SERVFAIL or no answer at all for names marked so. A UDP
 * answer longer than the client allows (512 bytes, or its EDNS size) is truncated with TC set, so
 * the client asks again over TCP.
 *
 * <pre>
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *   dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.1");
 *   Config config = Config.of(Map.of("dns_resolver", dns.resolverAddress()));
 *   ...
 * }
 * </pre>
 *
 * Records may be changed while the server runs; every method is thread-safe.
 */
public final class TestDnsServer implements AutoCloseable {

  private static final long TTL = 60;

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
  private final Set<Name> silent = ConcurrentHashMap.newKeySet();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-dns-server");
            t.setDaemon(true);
            return t;
          });

  private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    threads.execute(this::serveUdp);
    threads.execute(this::acceptTcp);
  }

  /** Starts a server on 127.0.0.1, UDP and TCP on one ephemeral port. */
  public static TestDnsServer start() throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      try {
        ServerSocket tcp = new ServerSocket();
        try {
          tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
        } catch (IOException e) {
          tcp.close();
          throw e;
        }
        return new TestDnsServer(udp, tcp);
      } catch (BindException e) { // the TCP port is taken: another UDP port
        udp.close();
        last = e;
      }
    }
    throw last;
  }

  /** Where the server listens. */
  public InetSocketAddress address() {
    return (InetSocketAddress) udp.getLocalSocketAddress();
  }

  /** The value for {@code dns_resolver}: {@code 127.0.0.1:port}. */
  public String resolverAddress() {
    return "127.0.0.1:" + udp.getLocalPort();
  }

  /** Adds an MX record; {@code exchange} "." makes a null MX. */
  public TestDnsServer mx(String domain, int preference, String exchange) {
    return add(new MXRecord(name(domain), DClass.IN, TTL, preference, name(exchange)));
  }

  /** The RFC 7505 null MX: {@code domain. MX 0 .} */
  public TestDnsServer nullMx(String domain) {
    return mx(domain, 0, ".");
  }

  /** Adds A records. */
  public TestDnsServer a(String host, String... addresses) {
    for (String a : addresses) {
      add(new ARecord(name(host), DClass.IN, TTL, address(a, Address.IPv4)));
    }
    return this;
  }

  /** Adds AAAA records. */
  public TestDnsServer aaaa(String host, String... addresses) {
    for (String a : addresses) {
      add(new AAAARecord(name(host), DClass.IN, TTL, address(a, Address.IPv6)));
    }
    return this;
  }

  /** Makes {@code alias} a CNAME for {@code target}. */
  public TestDnsServer cname(String alias, String target) {
    return add(new CNAMERecord(name(alias), DClass.IN, TTL, name(target)));
  }

  /** Adds any record. */
  public TestDnsServer add(Record record) {
    records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  /** Forgets every record of {@code name} and its SERVFAIL or silent mark. */
  public TestDnsServer remove(String name) {
    Name n = name(name);
    records.remove(n);
    servfail.remove(n);
    silent.remove(n);
    return this;
  }

  /** Questions about {@code name} get SERVFAIL. */
  public TestDnsServer servfail(String name) {
    servfail.add(name(name));
    return this;
  }

  /** Questions about {@code name} get no answer at all: the client times out. */
  public TestDnsServer silent(String name) {
    silent.add(name(name));
    return this;
  }

  /** The questions asked so far, as {@code name TYPE} ({@code example.com MX}), in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  /** How many questions came over TCP. */
  public int tcpQueries() {
    return tcpQueries.get();
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }

  // ---- Serving ------------------------------------------------------------------------------

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(in);
      } catch (IOException e) {
        return; // closed
      }
      Message query;
      try {
        query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
      } catch (IOException e) {
        continue; // not DNS: ignore it
      }
      Message response = answer(query);
      if (response == null) {
        continue;
      }
      OPTRecord opt = query.getOPT();
      int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
      byte[] out = response.toWire(max);
      try {
        udp.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void acceptTcp() {
    while (!tcp.isClosed()) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        threads.execute(() -> serveTcp(s));
      } catch (RuntimeException e) { // shut down meanwhile
        closeQuietly(s);
        return;
      }
    }
  }

  private void serveTcp(Socket s) {
    try (s;
        InputStream rawIn = s.getInputStream();
        OutputStream rawOut = s.getOutputStream()) {
      DataInputStream in = new DataInputStream(rawIn);
      DataOutputStream out = new DataOutputStream(rawOut);
      while (true) {
        int length = in.readUnsignedShort();
        byte[] wire = new byte[length];
        in.readFully(wire);
        tcpQueries.incrementAndGet();
        Message response = answer(new Message(wire));
        if (response == null) {
          continue;
        }
        byte[] bytes = response.toWire();
        out.writeShort(bytes.length);
        out.write(bytes);
        out.flush();
      }
    } catch (EOFException | SocketException e) {
      // the client is done
    } catch (IOException e) {
      // a bad message: hang up
    }
  }

  /** The response to {@code query}, or {@code null} for no response. */
  private Message answer(Message query) {
    Record question = query.getQuestion();
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    if (query.getOPT() != null) {
      response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    Name qname = question.getName();
    int qtype = question.getType();
    queries.add(qname.toString(true) + " " + Type.string(qtype));
    if (silent.contains(qname)) {
      return null;
    }
    if (servfail.contains(qname)) {
      response.getHeader().setRcode(Rcode.SERVFAIL);
      return response;
    }
    if (!exists(qname)) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      return response;
    }
    Name current = qname;
    for (int hops = 0; hops < 8; hops++) {
      List<Record> here = records.getOrDefault(current, List.of());
      Record cname = null;
      List<Record> matching = new ArrayList<>();
      for (Record r : here) {
        if (r.getType() == Type.CNAME) {
          cname = r;
        } else if (r.getType() == qtype || qtype == Type.ANY) {
          matching.add(r);
        }
      }
      if (cname != null && qtype != Type.CNAME) {
        response.addRecord(cname, Section.ANSWER);
        current = ((CNAMERecord) cname).getTarget();
        continue;
      }
      for (Record r : matching) {
        response.addRecord(r, Section.ANSWER);
      }
      break;
    }
    return response;
  }

  /** Whether {@code name} owns records or is an ancestor of a name that does. */
  private boolean exists(Name name) {
    for (Name owner : records.keySet()) {
      if (owner.subdomain(name)) {
        return true;
      }
    }
    return false;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name: " + s, e);
    }
  }

  private static InetAddress address(String s, int family) {
    try {
      return Address.getByAddress(s, family);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + s, e);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
