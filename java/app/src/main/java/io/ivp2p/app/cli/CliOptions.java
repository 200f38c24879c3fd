package io.ivp2p.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: one sub-command word and {@code --name value} options in any order (every
 * option takes a value; {@code --probe} may repeat, for the others the last one counts).
 */
final class CliOptions {
    final String command;
    private final Map<String, List<String>> values;

    private CliOptions(String command, Map<String, List<String>> values) {
        this.command = command;
        this.values = values;
    }

    static CliOptions parse(String[] args) throws UsageException {
        String command = null;
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                int eq = name.indexOf('=');
                String value;
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (name.equals("help")) {
                    value = "true";
                } else {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (command == null) {
                command = a;
            } else {
                throw new UsageException("unexpected argument '" + a + "' (sub-command is " + command + ")");
            }
        }
        return new CliOptions(command, values);
    }

    /** Refuses options other than {@code allowed}. */
    void allowOnly(Set<String> allowed) throws UsageException {
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name + (command == null ? "" : " for " + command));
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String def) {
        List<String> v = values.get(name);
        return v == null ? def : v.get(v.size() - 1);
    }

    String require(String name) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            throw new UsageException((command == null ? "" : command + ": ") + "--" + name + " is required");
        }
        return v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    long getLong(String name, long def, long min, long max) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " " + n + " not in " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a number");
        }
    }

    int getInt(String name, int def, int min, int max) throws UsageException {
        return (int) getLong(name, def, min, max);
    }

    double getDouble(String name, double def, double min) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new UsageException("--" + name + " " + v + " must be at least " + min);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a number");
        }
    }
}
