package io.ivp2p.log;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The logging part of the vendor's {@code p2p_init_params_s} ({@code log_level},
 * {@code log_file_path}, {@code log_file_size}), validated once at the API boundary so
 * that {@link LogSetup} never has to second-guess its input.
 *
 * <p>The size is normalised here rather than rejected because vendor integrators
 * routinely pass 0 ("don't care") or small numbers; a limit below {@link #MIN_FILE_BYTES}
 * would roll on nearly every line and keep almost no history.
 *
 * @param vendorLevel  vendor log level, {@link #DISABLE} .. {@link #VERBOSE}
 * @param directory    directory that receives {@code ivp2p.log}, or {@code null} for stderr
 * @param maxFileBytes size limit of one log file; the vendor contract allows twice this on disk
 */
public record LogSettings(int vendorLevel, Path directory, long maxFileBytes) {

    /** Vendor level 0: no logging at all. */
    public static final int DISABLE = 0;
    /** Vendor level 1. */
    public static final int ERROR = 1;
    /** Vendor level 2. */
    public static final int WARN = 2;
    /** Vendor level 3. */
    public static final int INFO = 3;
    /** Vendor level 4. */
    public static final int DEBUG = 4;
    /** Vendor level 5: everything, mapped to logback TRACE. */
    public static final int VERBOSE = 5;

    /** Used when the vendor passes {@code log_file_size = 0}. */
    public static final long DEFAULT_FILE_BYTES = 1L << 20;
    /** Smaller limits are raised to this, so a file still holds a useful amount of history. */
    public static final long MIN_FILE_BYTES = 4096;

    public LogSettings {
        if (vendorLevel < DISABLE || vendorLevel > VERBOSE) {
            throw new IllegalArgumentException("log level must be 0..5 (DISABLE, ERROR, WARN, INFO, DEBUG, VERBOSE), got "
                    + vendorLevel);
        }
        // size_t cannot be negative: a negative value means the caller mangled the conversion,
        // and guessing what it meant would hide that bug.
        if (maxFileBytes < 0) {
            throw new IllegalArgumentException("log file size must be >= 0 (0 = default of "
                    + DEFAULT_FILE_BYTES + " bytes), got " + maxFileBytes);
        }
        if (maxFileBytes == 0) {
            maxFileBytes = DEFAULT_FILE_BYTES;
        } else if (maxFileBytes < MIN_FILE_BYTES) {
            maxFileBytes = MIN_FILE_BYTES;
        }
    }

    /**
     * Builds settings from the raw vendor values.
     *
     * @param level      {@code log_level}, 0..5
     * @param pathOrNull {@code log_file_path}; null or blank means stderr
     * @param sizeOrZero {@code log_file_size}; 0 means {@link #DEFAULT_FILE_BYTES}
     * @throws IllegalArgumentException if the level is out of range, the size is negative
     *                                  or the path is syntactically invalid
     */
    public static LogSettings fromVendor(int level, String pathOrNull, long sizeOrZero) {
        Path dir = null;
        // C callers often pass "" instead of NULL for "no file".
        if (pathOrNull != null && !pathOrNull.isBlank()) {
            try {
                dir = Path.of(pathOrNull);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("log file path is not a valid path: \"" + pathOrNull + "\" ("
                        + e.getReason() + ")", e);
            }
        }
        return new LogSettings(level, dir, sizeOrZero);
    }
}
