package io.ivp2p.app.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import io.ivp2p.app.P2pClient;

/**
 * The ivp2p app command line: connects to a device like an app does and prints one
 * {@code key=value} line per result on stdout (people and the C conformance tests read it; logs go
 * to stderr). Exit codes: 0 success, 1 bad command line, 2 failure (after an
 * {@code error code=<n> ...} line).
 */
public final class Main {
    private static final Set<String> COMMON = Set.of("uid", "device", "key", "probe", "direct", "timeout", "mode",
            "log-level", "help");
    private static final Map<String, Command> COMMANDS = Map.of(
            "connect", new ConnectCommand(),
            "stream", new StreamCommand(),
            "streams", new StreamsCommand(),
            "command", new CommandCommand(),
            "serve", new ServeCommand(),
            "talk", new TalkCommand(),
            "reconnect", new ReconnectCommand());

    static final String USAGE = """
            usage: ivp2p-app <command> --device ID [--key K] [options]
              common:  --uid U (default app)   --key K (or env IVP2P_ACCESS_KEY, >= 16 bytes)
                       --probe HOST:PORT (repeatable; default 255.255.255.255:%d)   --direct HOST:PORT
                       --timeout MS (default 10000)   --mode lan|internet   --log-level LEVEL (default WARN)
              connect
              stream   --channel C --params P [--out FILE] [--bytes N] [--seconds S] [--read-rate B/s]
                       [--close-after-bytes N] [--stall-ms MS]
              streams  --apps A --streams S [--params-template T] [--bytes N]
              command  --text T | --hex H [--count N]
              serve    [--reply-prefix PFX] [--delay-ms D] [--seconds S] [--channel C --params P]
              talk     --channel C --params P --file F [--chunk BYTES] [--interval-ms MS]
              reconnect --count N [--pause-ms MS]
              version
            """.formatted(io.ivp2p.app.AppConfig.DEFAULT_PROBE_PORT);

    private Main() {}

    public static void main(String[] args) {
        Level level = Level.WARN;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--log-level")) {
                level = LogSetup.level(args[i + 1]);
                if (level == null) {
                    System.err.println("ivp2p-app: --log-level " + args[i + 1] + ": OFF, ERROR, WARN, INFO, DEBUG or TRACE");
                    System.exit(1);
                }
            }
        }
        LogSetup.toStderr(level); // before anything logs: logback's default would print to stdout
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command line; returns the exit code. Logging is the caller's (see {@link #main}). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CliOptions o;
        try {
            o = CliOptions.parse(args);
            if (o.has("help") || o.command == null) {
                err.print(USAGE);
                return o.has("help") ? 0 : 1;
            }
            if (o.command.equals("version")) {
                out.println("version=" + P2pClient.VERSION);
                return 0;
            }
            Command c = COMMANDS.get(o.command);
            if (c == null) {
                throw new UsageException("unknown command '" + o.command + "'");
            }
            Set<String> allowed = new HashSet<>(COMMON);
            allowed.addAll(c.options());
            o.allowOnly(allowed);
            if (o.has("log-level") && LogSetup.level(o.get("log-level", "")) == null) {
                throw new UsageException("--log-level: OFF, ERROR, WARN, INFO, DEBUG or TRACE");
            }
            CliContext ctx = new CliContext(o, out, env);
            try {
                return c.run(ctx);
            } catch (CliContext.CliFailure f) {
                ctx.error(f.code, null);
                err.println("ivp2p-app: " + f.getMessage());
                return 2;
            }
        } catch (UsageException e) {
            err.println("ivp2p-app: " + e.getMessage());
            err.print(USAGE);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ivp2p-app: interrupted");
            return 2;
        }
    }
}
