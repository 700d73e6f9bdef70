package io.gannet.master;

import io.gannet.agent.discard.DiscardAgent;
import io.gannet.agent.error.ErrorAgent;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.MasterCf;
import io.gannet.global.MasterService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery agents of master.cf's transports, by service name: a unix service whose command
 * is {@code smtp} becomes an SMTP client with that service's {@code -o} overrides, and so on.
 * Transports whose agent Gannet does not have yet ({@code local}, {@code virtual}, {@code pipe})
 * have none: qmgr defers their mail with "mail transport unavailable", as Postfix does when a
 * transport cannot run.
 */
public final class DeliveryAgents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("gannet/master");

  /** Builds the agent of one transport service. */
  @FunctionalInterface
  public interface Factory {
    /** The agent for {@code service} with its configuration, or null when there is none. */
    DeliveryAgent create(MasterService service, Config config);
  }

  private final Map<String, DeliveryAgent> byTransport = new LinkedHashMap<>();

  public DeliveryAgents(Config main, MasterCf master, Factory factory) {
    for (MasterService s : master.services()) {
      if (!s.isTransport()) {
        continue;
      }
      DeliveryAgent agent = factory.create(s, s.config(main));
      if (agent == null) {
        log.info("transport {}: no {} delivery agent in this version; its mail is deferred",
            s.name(), s.command());
        continue;
      }
      byTransport.put(s.name(), agent);
    }
  }

  /** The built-in agents that need nothing else: discard and error/retry. */
  public static DeliveryAgent simple(MasterService s) {
    return switch (s.command()) {
      case "discard" -> new DiscardAgent();
      case "error" -> new ErrorAgent(s.name().equals("retry"));
      default -> null;
    };
  }

  /** The agent of {@code transport}, or null. */
  public DeliveryAgent get(String transport) {
    return byTransport.get(transport);
  }

  @Override
  public void close() {
    for (DeliveryAgent a : byTransport.values()) {
      try {
        a.close();
      } catch (RuntimeException e) {
        log.warn("closing a delivery agent: {}", e.toString());
      }
    }
  }
}
