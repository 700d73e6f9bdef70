package io.gannet.master;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the {@link DaemonBody} that {@code gannet start-fg} runs, so the real one plugs in without
 * editing the lifecycle: it is named in a {@code META-INF/services/io.gannet.master.DaemonBody}
 * file ({@link ServiceLoader}, public no-argument constructor). The system property {@value
 * #PROPERTY} (a class name) takes precedence, for tests and for trying another body; {@code gannet
 * start} passes it on to the daemon it spawns.
 */
public final class DaemonBodies {
  /** The system property naming a body class to use instead of the service lookup. */
  public static final String PROPERTY = "gannet.daemon.body";

  private DaemonBodies() {}

  /**
   * The body to run: the class named by {@value #PROPERTY} if set, else the one service provider;
   * empty when there is none.
   *
   * @throws IllegalStateException the named class cannot be made a body, or several providers are
   *     registered (the message names them)
   */
  public static Optional<DaemonBody> find() {
    String named = System.getProperty(PROPERTY);
    if (named != null && !named.isBlank()) {
      return Optional.of(instantiate(named.trim()));
    }
    List<ServiceLoader.Provider<DaemonBody>> found =
        ServiceLoader.load(DaemonBody.class).stream().toList();
    if (found.size() > 1) {
      throw new IllegalStateException(
          "several daemon bodies registered: "
              + found.stream().map(p -> p.type().getName()).collect(Collectors.joining(", "))
              + "; choose one with -D"
              + PROPERTY
              + "=CLASS");
    }
    return found.stream().findFirst().map(ServiceLoader.Provider::get);
  }

  private static DaemonBody instantiate(String className) {
    try {
      Class<?> c = Class.forName(className, true, DaemonBodies.class.getClassLoader());
      if (!DaemonBody.class.isAssignableFrom(c)) {
        throw new IllegalStateException(className + " (" + PROPERTY + ") is not a DaemonBody");
      }
      return (DaemonBody) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(
          "cannot create daemon body " + className + " (" + PROPERTY + "): " + e, e);
    }
  }
}
