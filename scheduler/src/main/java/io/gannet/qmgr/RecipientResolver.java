package io.gannet.qmgr;

/**
 * Resolves a recipient address to its route (Postfix's trivial-rewrite resolve service, asked by
 * qmgr for each recipient it takes into the active window). Implemented outside this module; it
 * must be fast and must not block on the network.
 */
@FunctionalInterface
public interface RecipientResolver {
  Route resolve(String address);
}
