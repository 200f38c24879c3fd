package io.ivp2p.security.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.ivp2p.security.DtlsAssociation;
import io.ivp2p.security.DtlsEvents;
import io.ivp2p.security.DtlsCrypto;
import io.ivp2p.security.DtlsSettings;

/**
 * Record throughput of each cipher suite with each crypto back-end: a benchmark, not a test (it
 * asserts nothing and is not run by Maven). An in-memory client/server association pair; records
 * carrying 1200 bytes of plaintext go from client to server on one thread. "seal" is
 * {@link DtlsAssociation#send} (encrypt + frame + hand to Output), "open" is
 * {@link DtlsAssociation#onDatagram} (frame + replay check + decrypt + deliver), each timed over a
 * batch of 20,000 records; median of 5 rounds after 3 warm-up rounds. The ratio is seal+open
 * throughput against the baseline, bctls' own default (BC, ChaCha20-Poly1305), measured in the same
 * run.
 *
 * <p>Run (from the repository root): {@code mvn -q -pl java/transport test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}, then {@code java -cp
 * java/transport/target/classes:java/transport/target/test-classes:$(cat java/transport/cp.txt)
 * io.ivp2p.security.bench.DtlsBench}. The latest figures are in {@link DtlsSettings}' Javadoc.
 */
public final class DtlsBench {
    private static final int PAYLOAD = 1200;
    private static final int BATCH = 20_000;
    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 5;

    private DtlsBench() {
    }

    record Result(DtlsCrypto crypto, int suite, double sealNanos, double openNanos) {
        double sealRecordsPerSecond() {
            return 1e9 / sealNanos;
        }

        double openRecordsPerSecond() {
            return 1e9 / openNanos;
        }

        double bothMegabytesPerSecond() {
            return PAYLOAD * 1e9 / (sealNanos + openNanos) / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("DTLS record throughput, " + PAYLOAD + "-byte plaintext, batch " + BATCH + ", median of "
                + ROUNDS + " rounds");
        System.out.println(machine());
        Object[][] configs = {
            {DtlsCrypto.BC, DtlsSettings.CHACHA20_POLY1305},
            {DtlsCrypto.BC, DtlsSettings.AES_128_GCM},
            {DtlsCrypto.JCA, DtlsSettings.AES_128_GCM},
            {DtlsCrypto.JCA, DtlsSettings.CHACHA20_POLY1305},
        };
        List<Result> results = new ArrayList<>();
        ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dtls-bench-handshake");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Object[] c : configs) {
                results.add(measure((DtlsCrypto) c[0], (Integer) c[1], handshakes));
            }
        } finally {
            handshakes.shutdownNow();
        }
        Result base = results.get(0);
        double baseBoth = base.bothMegabytesPerSecond();
        System.out.printf(Locale.ROOT, "%-5s %-18s %11s %10s %11s %10s %15s %7s%n", "crypto", "suite", "seal rec/s",
                "seal MB/s", "open rec/s", "open MB/s", "seal+open MB/s", "ratio");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-5s %-18s %,11.0f %10.0f %,11.0f %10.0f %15.0f %7.2f%n", r.crypto(),
                    r.suite() == DtlsSettings.AES_128_GCM ? "AES_128_GCM" : "CHACHA20_POLY1305",
                    r.sealRecordsPerSecond(), r.sealRecordsPerSecond() * PAYLOAD / 1e6, r.openRecordsPerSecond(),
                    r.openRecordsPerSecond() * PAYLOAD / 1e6, r.bothMegabytesPerSecond(),
                    r.bothMegabytesPerSecond() / baseBoth);
        }
        System.out.println("ratio: seal+open throughput / baseline (" + base.crypto() + " "
                + DtlsSettings.suiteName(base.suite()) + ")");
    }

    private static Result measure(DtlsCrypto crypto, int suite, ExecutorService handshakes) throws Exception {
        DtlsSettings settings = DtlsSettings.defaults().withMaxDatagramSize(DtlsSettings.MAX_DATAGRAM)
                .withCrypto(crypto).withCipherSuites(suite);
        InetSocketAddress clientAddress = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 40000);
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 1}), 50000);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Consumer<ByteBuffer> ignore = b -> { };

        DtlsAssociation[] server = new DtlsAssociation[1];
        DtlsAssociation[] client = new DtlsAssociation[1];
        ByteBuffer[] captured = new ByteBuffer[BATCH];
        int[] capturedCount = {0};
        boolean[] capturing = {false};
        CompletableFuture<Void> serverUp = new CompletableFuture<>();
        CompletableFuture<Void> clientUp = new CompletableFuture<>();

        server[0] = DtlsAssociation.server(id -> key.clone(), settings, clientAddress,
                (d, to) -> client[0].onDatagram(d, serverAddress, ignore), handshakes, DtlsEvents.completing(serverUp));
        client[0] = DtlsAssociation.client("bench-user", key, settings, serverAddress, (d, to) -> {
            if (capturing[0]) {
                captured[capturedCount[0]++] = d;
            } else {
                server[0].onDatagram(d, clientAddress, ignore);
            }
        }, handshakes, DtlsEvents.completing(clientUp));
        server[0].start();
        client[0].start();
        CompletableFuture.allOf(serverUp, clientUp).get(30, TimeUnit.SECONDS);
        if (client[0].cipherSuite() != suite) {
            throw new IllegalStateException("negotiated " + DtlsSettings.suiteName(client[0].cipherSuite()));
        }
        capturing[0] = true;

        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
        long[] delivered = {0};
        Consumer<ByteBuffer> count = b -> delivered[0] += b.remaining();
        double[] seal = new double[ROUNDS];
        double[] open = new double[ROUNDS];
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            capturedCount[0] = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                payload.clear();
                client[0].send(payload);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                server[0].onDatagram(captured[i], clientAddress, count);
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                seal[round] = (t1 - t0) / (double) BATCH;
                open[round] = (t2 - t1) / (double) BATCH;
            }
        }
        long expected = (long) (WARMUP_ROUNDS + ROUNDS) * BATCH * PAYLOAD;
        if (delivered[0] != expected || server[0].droppedRecords() != 0) {
            throw new IllegalStateException("delivered " + delivered[0] + " of " + expected + ", dropped "
                    + server[0].droppedRecords());
        }
        client[0].close();
        server[0].close();
        Arrays.sort(seal);
        Arrays.sort(open);
        return new Result(crypto, suite, seal[ROUNDS / 2], open[ROUNDS / 2]);
    }


    private static String machine() {
        String cpu = "?";
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/cpuinfo"))) {
            cpu = r.lines().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse("?");
        } catch (IOException e) {
            // not Linux
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpu + "; "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }
}
