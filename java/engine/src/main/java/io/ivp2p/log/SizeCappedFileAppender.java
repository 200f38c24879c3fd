package io.ivp2p.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes the log file and keeps exactly one rolled copy ({@code <file>.1}), neither of which
 * is ever larger than {@link #setMaxFileBytes maxFileBytes}.
 *
 * <p>Vendor contract for {@code log_file_size}: <em>"size limit; on disk at most twice this
 * (rolled)"</em>. Cameras have small flash partitions, so this bound must hold at every instant.
 * logback's {@code SizeBasedTriggeringPolicy} only looks at the file size at gated time
 * intervals and lets a burst overshoot, hence this appender: it encodes each event first and
 * rolls <em>before</em> a write that would cross the limit. An event larger than the limit on its
 * own is cut to the limit, because the bound matters more than the tail of one line.
 *
 * <p>Writes are unbuffered (one write per event) so that nothing is lost if the process dies
 * inside the vendor's C code. I/O errors are reported once per outage through the logback status
 * manager and never thrown at the caller: logging must not break the transport.
 */
public final class SizeCappedFileAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Suffix of the single rolled copy. */
    public static final String ROLLED_SUFFIX = ".1";

    // Encoding happens outside the lock (the encoder is thread-safe); only the size check,
    // roll and write are serialised, because together they maintain the bound.
    private final Object lock = new Object();

    private Encoder<ILoggingEvent> encoder;
    private Path file;
    private long maxFileBytes = LogSettings.DEFAULT_FILE_BYTES;

    private OutputStream out;        // guarded by lock; null while the file could not be opened
    private long size;               // guarded by lock; bytes in the current file
    private boolean errorReported;   // guarded by lock; cleared by the next successful write
    private volatile String startFailure;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    /** The active log file; the rolled copy sits next to it with {@link #ROLLED_SUFFIX}. */
    public void setFile(Path file) {
        this.file = file;
    }

    public Path getFile() {
        return file;
    }

    public void setMaxFileBytes(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
    }

    public long getMaxFileBytes() {
        return maxFileBytes;
    }

    /** Why the last {@link #start()} failed, for the caller's fallback message; null if it did not. */
    String startFailure() {
        return startFailure;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        startFailure = null;
        if (encoder == null || file == null || maxFileBytes < 1) {
            startFailure = "appender " + name + " needs an encoder, a file and a positive size limit";
            addError(startFailure);
            return;
        }
        synchronized (lock) {
            errorReported = false;
            try {
                trimLeftovers();
                open(false);
            } catch (IOException | RuntimeException e) {
                startFailure = e.toString();
                addError("Cannot open log file " + file, e);
                closeStream();
                return;
            }
        }
        super.start();
    }

    @Override
    public void stop() {
        synchronized (lock) {
            super.stop();
            closeStream();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] bytes = encoder.encode(event);
        if (bytes == null || bytes.length == 0) {
            return;
        }
        if (bytes.length > maxFileBytes) {
            bytes = truncate(bytes, (int) maxFileBytes);
        }
        synchronized (lock) {
            // stop() may have run between doAppend's check and here.
            if (!isStarted()) {
                return;
            }
            try {
                if (out == null) {
                    open(false);
                }
                if (size + bytes.length > maxFileBytes) {
                    roll();
                }
                out.write(bytes);
                size += bytes.length;
                errorReported = false;
            } catch (IOException | RuntimeException e) {
                reportOnce("Cannot write log file " + file, e);
                // A partial write leaves the size unknown; reopening recounts it from disk.
                closeStream();
            }
        }
    }

    private Path rolledFile() {
        return file.resolveSibling(file.getFileName() + ROLLED_SUFFIX);
    }

    private void open(boolean truncate) throws IOException {
        out = truncate
                ? Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)
                : Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void roll() throws IOException {
        closeStream();
        try {
            Files.move(file, rolledFile(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Starting the file over loses its contents but keeps the disk bound.
            reportOnce("Cannot roll " + file + " to " + rolledFile() + "; starting it over", e);
        }
        open(true);
    }

    /**
     * A previous run may have used a larger limit. The current file is rolled so that appending
     * starts below the limit, and the rolled copy keeps only its newest {@code maxFileBytes}.
     */
    private void trimLeftovers() throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > maxFileBytes) {
            Files.move(file, rolledFile(), StandardCopyOption.REPLACE_EXISTING);
        }
        Path rolled = rolledFile();
        if (Files.isRegularFile(rolled) && Files.size(rolled) > maxFileBytes) {
            keepTail(rolled, maxFileBytes);
        }
    }

    // In place, so no temporary file appears next to the log; copying towards the start of the
    // file never overwrites bytes that are still to be read.
    private static void keepTail(Path path, long keep) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size();
            long src = end - keep;
            long dst = 0;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (src < end) {
                buf.clear();
                int n = ch.read(buf, src);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    dst += ch.write(buf, dst);
                }
                src += n;
            }
            ch.truncate(dst);
        }
    }

    /** Cuts to {@code limit} bytes ending in a newline, without splitting a UTF-8 sequence. */
    static byte[] truncate(byte[] bytes, int limit) {
        int cut = limit - 1; // room for the newline
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--; // bytes[cut] continues a character that started earlier: drop the whole character
        }
        byte[] result = Arrays.copyOf(bytes, cut + 1);
        result[cut] = '\n';
        return result;
    }

    private void reportOnce(String message, Exception e) {
        if (!errorReported) {
            errorReported = true;
            addError(message, e);
        }
    }

    private void closeStream() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                reportOnce("Cannot close log file " + file, e);
            }
            out = null;
        }
    }
}
