package io.gannet.master;

/**
 * Makes the delivery agent of a master.cf transport service (see {@link DeliveryAgents}). The
 * production factory is {@link StandardAgents}; tests may substitute their own.
 */
public interface AgentFactory extends DeliveryAgents.Factory, AutoCloseable {
  /** Releases what the agents share (event loops, resolvers). */
  @Override
  default void close() {}
}
