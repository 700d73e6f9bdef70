package io.gannet.qmgr;

/**
 * Where qmgr sends delivery requests. Must not block the scheduler thread: the implementation
 * hands the work to other threads and reports the result back through qmgr's inbox.
 */
@FunctionalInterface
public interface DeliveryPort {
  void dispatch(Dispatch dispatch);
}
