package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

final class ExecutionExceptionAssert {
  private ExecutionExceptionAssert() {}

  static void assertFailsWith(Class<? extends Throwable> type, CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      fail("expected the stage to fail with " + type.getSimpleName());
    } catch (ExecutionException e) {
      assertInstanceOf(type, e.getCause());
    } catch (Exception e) {
      fail(e);
    }
  }
}
