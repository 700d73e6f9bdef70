package io.gannet.pickup;

import io.gannet.global.QueueIdGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The maildrop directory, {@code $queue_directory/maildrop}: where {@code gannet sendmail} leaves
 * messages ({@link MaildropFile}) for the daemon's pickup, whether or not the daemon runs, as
 * Postfix's postdrop does.
 *
 * <p>A file appears whole or not at all: it is written under a temporary name starting with a dot
 * ({@code .NAME.tmp}), forced to disk, linked to its final name (which fails rather than replace a
 * file of the same name), then the temporary name is removed and the directory forced to disk. Final
 * names are queue-id-like strings of the submission time, so that name order is submission order.
 * Readers ignore names that start with a dot.
 *
 * <p>The directory is created mode 0700: only the owner of the queue submits. Files read back are
 * untrusted all the same (regular files only, no symbolic links, bounded size).
 */
public final class Maildrop {
  /** The name of the directory under queue_directory. */
  public static final String NAME = "maildrop";

  /** Where files that cannot be picked up are kept for inspection, under queue_directory. */
  public static final String CORRUPT = "corrupt";

  private final Path directory;

  public Maildrop(Path directory) {
    this.directory = directory;
  }

  /** The maildrop directory of a queue directory. */
  public static Maildrop of(Path queueDirectory) {
    return new Maildrop(queueDirectory.resolve(NAME));
  }

  public Path directory() {
    return directory;
  }

  /**
   * Writes {@code s} as a new file, durably, and returns its path.
   *
   * @param names makes the file names (queue ids of the submission time)
   */
  public Path write(Submission s, QueueIdGenerator names) throws IOException {
    ensureDirectory();
    byte[] bytes = MaildropFile.encode(s);
    while (true) {
      String name = names.next().toString();
      Path tmp = directory.resolve("." + name + ".tmp");
      Path target = directory.resolve(name);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      } catch (FileAlreadyExistsException e) {
        continue; // another sendmail took the name this very moment
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(tmp);
        continue;
      } catch (IOException | UnsupportedOperationException e) {
        // no hard links here: a rename (which would replace, but the names are unique)
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.deleteIfExists(tmp);
      forceDirectory();
      return target;
    }
  }

  /** The files waiting for pickup, oldest first; none when the directory does not exist. */
  public List<Path> waiting() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory,
        p -> !p.getFileName().toString().startsWith("."))) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /**
   * Reads one file.
   *
   * @param maxBytes the largest file accepted
   * @throws NoSuchFileException it is gone (picked up already)
   * @throws MaildropFormatException not a regular file, too large, or not a maildrop file
   */
  public static Submission read(Path file, long maxBytes)
      throws IOException, MaildropFormatException {
    BasicFileAttributes a =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw new MaildropFormatException("not a regular file");
    }
    if (a.size() > maxBytes) {
      throw new MaildropFormatException("file too large (" + a.size() + " bytes, at most "
          + maxBytes + ")");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    }
    if (bytes.length > maxBytes) {
      throw new MaildropFormatException("file grew beyond " + maxBytes + " bytes while read");
    }
    return MaildropFile.decode(bytes);
  }

  /** The uid of the file's owner (Postfix's pickup logs it), or -1 when unknown. */
  public static long owner(Path file) {
    try {
      return ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** Removes a file that was picked up, and makes the removal durable. */
  public void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
    forceDirectory();
  }

  /**
   * Moves a file that cannot be picked up to {@code $queue_directory/corrupt/} (created if
   * needed), never deleting it; returns its new path.
   */
  public Path setAside(Path file) throws IOException {
    Path corrupt = directory.resolveSibling(CORRUPT);
    Files.createDirectories(corrupt);
    Path target = corrupt.resolve(file.getFileName());
    for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
      target = corrupt.resolve(file.getFileName() + "." + i);
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private void ensureDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      try {
        Files.createDirectory(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // made by another sendmail meanwhile
      }
    }
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // not every system can sync a directory; the file itself is synced
    }
  }
}
