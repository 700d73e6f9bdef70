package io.gannet.agent.smtp;

/** The agent was closed while a delivery waited for a connection. */
final class AgentClosedException extends RuntimeException {
  AgentClosedException() {
    super("delivery agent is shutting down", null, false, false);
  }
}
