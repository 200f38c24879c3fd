package io.ivp2p.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ivp2p.app.FakeDevice;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;

/** The CLI in-process against the fake device: the exact lines tests will parse, and exit codes. */
class CliTest {
    private static final String KEY = "device-access-key-0123456789";
    private FakeDevice device;
    private String probe;

    @TempDir
    Path tmp;

    /** One run's exit code and stdout lines. */
    record Run(int exit, List<String> lines, String err) {
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + lines + "\n" + err));
        }
    }

    @BeforeEach
    void startDevice() throws Exception {
        device = new FakeDevice("cam_01", KEY);
        probe = "127.0.0.1:" + device.address().getPort();
    }

    @AfterEach
    void stopDevice() {
        device.close();
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        String text = out.toString(StandardCharsets.UTF_8);
        return new Run(exit, text.isEmpty() ? List.of() : Arrays.asList(text.split("\n")),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with the device options first, then {@code args}. */
    private Run device(String... args) {
        List<String> all = new ArrayList<>(List.of("--device", "cam_01", "--key", KEY, "--probe", probe));
        all.addAll(List.of(args));
        return run(Map.of(), all.toArray(new String[0]));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void connectPrintsTheHandlePeerAndTime() {
        Run r = device("connect");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Pattern.matches("connected handle=0 peer=app#1 ms=\\d+", r.line("connected")), r.lines().toString());
    }

    @Test
    void theKeyMayComeFromTheEnvironmentAndTheAddressBeDirect() {
        Run r = run(Map.of("IVP2P_ACCESS_KEY", KEY), "connect", "--device", "cam_01", "--direct", probe,
                "--uid", "phone_7");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.line("connected").contains(" peer=phone_7#1 "), r.lines().toString());
    }

    @Test
    void aFailedConnectPrintsTheErrorAndExitsTwo() {
        device.answerProbes = false;
        Run r = device("connect", "--timeout", "500");
        assertEquals(2, r.exit());
        assertEquals(List.of("error code=-6 DEVICE_NOT_ONLINE: no authenticated LAN answer from the device in time"),
                r.lines());
    }

    @Test
    void streamReadsToTheEndAndWritesTheFile() throws Exception {
        Path out = tmp.resolve("stream.bin");
        Run r = device("stream", "--channel", "3", "--params", "mode=fixed&bytes=200000&tag=4", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        byte[] expected = FakeDevice.pattern(4, 0, 200_000);
        assertEquals("stream channel=3 bytes=200000 end=ended sha256=" + sha256(expected), r.line("stream"));
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    @Test
    void streamStopsAtTheByteLimit() throws Exception {
        Run r = device("stream", "--params", "mode=endless&tag=1", "--bytes", "12345");
        assertEquals(0, r.exit(), r.err());
        assertEquals("stream channel=1 bytes=12345 end=limit sha256=" + sha256(FakeDevice.pattern(1, 0, 12345)),
                r.line("stream"));
    }

    @Test
    void streamStopsAfterItsSecondsWhenReadSlowly() {
        Run r = device("stream", "--params", "mode=endless&tag=1", "--seconds", "0.5", "--read-rate", "20000",
                "--stall-ms", "100");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Pattern.matches("stream channel=1 bytes=\\d+ end=time sha256=[0-9a-f]{64}", r.line("stream")));
    }

    @Test
    void aSilentStreamEndsAtItsSecondsNotWithATimeout() {
        // The last read's wait is cut to the deadline in whole milliseconds and may return TIME_OUT
        // just before it: that is the end of the run, not an error (it was, in 5 of 6 runs).
        Run r = device("stream", "--params", "mode=silent", "--seconds", "0.3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.line("stream").contains(" bytes=0 end=time "), r.line("stream"));
    }

    @Test
    void streamClosedAfterSomeBytesEndsWithItsRest() {
        Run r = device("stream", "--params", "mode=endless&tag=1", "--close-after-bytes", "1000");
        assertEquals(0, r.exit(), r.err());
        String line = r.line("stream");
        assertTrue(line.contains(" end=ended "), line);
        long bytes = Long.parseLong(line.replaceAll(".* bytes=(\\d+) .*", "$1"));
        assertTrue(bytes >= 1000, line);
    }

    @Test
    void aRefusedStreamIsAnErrorLine() {
        Run r = device("stream", "--params", "mode=refuse");
        assertEquals(2, r.exit());
        assertEquals("error code=-100 STREAM_REFUSED: the device refused the stream or talk", r.line("error"));
    }

    @Test
    void streamsReadsEveryStreamOfEveryApp() throws Exception {
        Run r = device("streams", "--apps", "2", "--streams", "3", "--params-template",
                "mode=fixed&bytes=50000&tag={stream}&app={app}");
        assertEquals(0, r.exit(), r.err());
        for (int a = 0; a < 2; a++) {
            for (int c = 1; c <= 3; c++) {
                assertTrue(r.lines().contains("stream app=" + a + " channel=" + c + " bytes=50000 end=ended sha256="
                        + sha256(FakeDevice.pattern(c, 0, 50_000))), r.lines().toString());
            }
        }
        assertEquals("total ok=6", r.lines().get(r.lines().size() - 1));
    }

    @Test
    void commandPrintsEachReply() {
        Run r = device("command", "--text", "hello", "--count", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, r.lines().size());
        for (String l : r.lines()) {
            assertTrue(Pattern.matches("reply bytes=8 text=re:hello ms=\\d+", l), l);
        }
        Run hex = device("command", "--hex", "00ff");
        assertTrue(Pattern.matches("reply bytes=5 hex=72653a00ff ms=\\d+", hex.line("reply")), hex.lines().toString());
    }

    @Test
    void aClosedCommandChannelIsAnErrorLine() {
        Run r = device("command", "--text", "close");
        assertEquals(2, r.exit());
        assertEquals(List.of("error code=-101 COMMAND_CLOSED: the device's command handler gave no reply "
                + "(command channel closed)"), r.lines());
    }

    @Test
    void serveAnswersDeviceCommandsUntilTheSessionCloses() throws Exception {
        CompletableFuture<Run> serving = CompletableFuture.supplyAsync(
                () -> device("serve", "--reply-prefix", "pfx:", "--delay-ms", "10", "--seconds", "60"));
        FakeDevice.DeviceSession s = device.nextSession();
        ControlFrame reply = s.deviceCommand("ping".getBytes(StandardCharsets.UTF_8), 10_000);
        assertEquals(FrameType.DEVICE_COMMAND_REPLY, reply.type());
        assertEquals("pfx:ping", reply.text());
        s.handle.close();
        Run r = serving.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.line("connected").startsWith("connected handle=0 peer=app#1 "));
        assertEquals("device-command bytes=4 text=ping", r.line("device-command"));
        assertEquals("serve commands=1 end=closed code=-12", r.line("serve"));
    }

    @Test
    void serveWithAStreamEndsOnTimeAndReportsTheStream() {
        Run r = device("serve", "--seconds", "0.3", "--channel", "5", "--params", "mode=endless&tag=2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Pattern.matches("stream channel=5 bytes=\\d+ end=ended sha256=[0-9a-f]{64}", r.line("stream")),
                r.lines().toString());
        assertEquals("serve commands=0 end=time", r.line("serve"));
    }

    @Test
    void talkSendsTheFileInChunks() throws Exception {
        Path f = tmp.resolve("voice.pcm");
        byte[] voice = FakeDevice.pattern(9, 0, 2500);
        Files.write(f, voice);
        CompletableFuture<Run> talking = CompletableFuture.supplyAsync(() -> device("talk", "--channel", "2",
                "--params", "codec=pcm", "--file", f.toString(), "--chunk", "1000", "--interval-ms", "5"));
        FakeDevice.DeviceSession s = device.nextSession();
        Run r = talking.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertEquals("talk chunks=3 bytes=2500", r.line("talk"));
        int[] sizes = {1000, 1000, 500, 0};
        int off = 0;
        for (int size : sizes) {
            FakeDevice.TalkEvent e = s.talk.poll(10, TimeUnit.SECONDS);
            assertEquals(size, e.data().length);
            assertArrayEquals(Arrays.copyOfRange(voice, off, off + size), e.data());
            off += size;
        }
    }

    @Test
    void reconnectConnectsAndDisconnectsTheGivenNumberOfTimes() {
        Run r = device("reconnect", "--count", "3", "--pause-ms", "10");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("reconnected n=3"), r.lines());
    }

    @Test
    void badCommandLinesExitOneWithUsage() {
        assertEquals(1, run(Map.of()).exit(), "no command");
        assertEquals(1, device("fly").exit());
        assertEquals(1, run(Map.of(), "connect", "--key", KEY).exit(), "no --device");
        assertEquals(1, run(Map.of(), "connect", "--device", "cam_01").exit(), "no key");
        assertEquals(1, run(Map.of(), "connect", "--device", "cam_01", "--key", "short").exit(), "short key");
        assertEquals(1, device("connect", "--probe", "nowhere").exit());
        assertEquals(1, device("connect", "--colour", "red").exit());
        assertEquals(1, device("stream").exit(), "no --params");
        assertEquals(1, device("command", "--text", "a", "--hex", "00").exit());
        assertEquals(1, device("connect", "--mode", "carrier-pigeon").exit());
        assertEquals(1, device("connect", "--log-level", "LOUD").exit());
        assertEquals(0, run(Map.of(), "--help").exit());
    }

    @Test
    void versionPrintsTheVersion() {
        Run r = run(Map.of(), "version");
        assertEquals(0, r.exit());
        assertTrue(Pattern.matches("version=\\S+", r.line("version")));
    }
}
