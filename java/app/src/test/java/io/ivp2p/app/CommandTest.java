package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;

/** Commands both ways: app → device (command_cb) and device → app (the app's handler). */
class CommandTest extends ConnectedAppTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ControlFrame f) {
        return new String(f.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void aCommandGetsTheDevicesReply() throws Exception {
        assertArrayEquals(utf8("re:{\"cmd\":\"info\"}"), app.command(h, utf8("{\"cmd\":\"info\"}"), TIMEOUT));
        byte[] big = new byte[200_000];
        big[199_999] = 42;
        byte[] reply = app.command(h, big, TIMEOUT);
        assertEquals(3 + big.length, reply.length);
        assertEquals(42, reply[reply.length - 1]);
    }

    @Test
    void noReplyFromCommandCbIsCommandClosed() {
        assertEquals(P2pError.COMMAND_CLOSED, assertThrows(P2pException.class,
                () -> app.command(h, utf8("close"), TIMEOUT)).code());
    }

    @Test
    void aBusyDeviceIsDeviceBusy() {
        assertEquals(P2pError.DEVICE_BUSY, assertThrows(P2pException.class,
                () -> app.command(h, utf8("busy"), TIMEOUT)).code());
    }

    @Test
    void noReplyInTimeIsATimeoutAndTheSessionGoesOn() throws Exception {
        assertEquals(P2pError.TIME_OUT, assertThrows(P2pException.class,
                () -> app.command(h, utf8("mute"), 300)).code());
        assertArrayEquals(utf8("re:x"), app.command(h, utf8("x"), TIMEOUT));
    }

    @Test
    void badCommandsAreRefusedBeforeSending() {
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.command(h, null, TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.command(h, new byte[0], TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.command(h, new byte[ControlFrame.MAX_PAYLOAD + 1], TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.command(h, utf8("x"), 0)).code());
    }

    @Test
    void aDeviceCommandIsAnsweredByTheSessionsHandler() throws Exception {
        app.setCommandHandler((handle, msg) -> utf8("client-wide"));
        app.setCommandHandler(h, (handle, msg) -> {
            assertEquals(h, handle);
            return FakeDevice.concat(utf8("ok:"), msg);
        });
        ControlFrame reply = onDevice.deviceCommand(utf8("ptz left"), TIMEOUT);
        assertEquals(FrameType.DEVICE_COMMAND_REPLY, reply.type());
        assertEquals("ok:ptz left", text(reply));
        app.setCommandHandler(h, null);
        assertEquals("client-wide", text(onDevice.deviceCommand(utf8("x"), TIMEOUT)), "falls back to the client's");
    }

    @Test
    void withoutAHandlerTheDeviceHearsUnhandled() throws Exception {
        ControlFrame reply = onDevice.deviceCommand(utf8("anyone?"), TIMEOUT);
        assertEquals(FrameType.DEVICE_COMMAND_UNHANDLED, reply.type());
        assertEquals("no command handler", text(reply));
    }

    @Test
    void aHandlerReturningNullOrThrowingIsUnhandled() throws Exception {
        app.setCommandHandler(h, (handle, msg) -> null);
        assertEquals(FrameType.DEVICE_COMMAND_UNHANDLED, onDevice.deviceCommand(utf8("a"), TIMEOUT).type());
        app.setCommandHandler(h, (handle, msg) -> {
            throw new IllegalStateException("app bug");
        });
        ControlFrame reply = onDevice.deviceCommand(utf8("b"), TIMEOUT);
        assertEquals(FrameType.DEVICE_COMMAND_UNHANDLED, reply.type());
        assertTrue(text(reply).contains("app bug"), text(reply));
    }

    @Test
    void aSlowHandlerDoesNotHoldUpRepliesToTheAppsOwnCommands() throws Exception {
        CountDownLatch handlerRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app.setCommandHandler(h, (handle, msg) -> {
            handlerRunning.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return utf8("late");
        });
        CompletableFuture<ControlFrame> deviceSide = CompletableFuture.supplyAsync(() -> {
            try {
                return onDevice.deviceCommand(utf8("slow"), 30_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(handlerRunning.await(10, TimeUnit.SECONDS));
        // The handler is blocked; replies to the app's own commands still arrive.
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(utf8("re:q" + i), app.command(h, utf8("q" + i), TIMEOUT));
        }
        release.countDown();
        assertEquals("late", text(deviceSide.get(20, TimeUnit.SECONDS)));
    }

    @Test
    void commandsBeyondTheHandlersQueueAreAnsweredAppBusy() throws Exception {
        P2pClient small = new P2pClient();
        clients.add(small);
        assertEquals(P2pError.SUCCESSFUL, small.init("user_2", DeviceKeys.of(DEVICE_ID, KEY),
                AppConfig.defaults().withBindAddress(FakeDevice.LOOPBACK).withCommandQueue(1)));
        FakeDevice second = device("cam_02", KEY);
        assertEquals(P2pError.SUCCESSFUL, small.setDeviceKey("cam_02", KEY));
        int sh = small.connectDirect("cam_02", second.address(), TIMEOUT);
        assertTrue(sh >= 0, P2pError.describe(sh));
        FakeDevice.DeviceSession s = second.nextSession();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        small.setCommandHandler(sh, (handle, msg) -> {
            running.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return msg;
        });
        CompletableFuture<ControlFrame> first = CompletableFuture.supplyAsync(() -> call(s, "1"));
        assertTrue(running.await(10, TimeUnit.SECONDS), "the first runs");
        // With "1" in the handler and room for one in the queue, of "2" and "3" the first to arrive
        // waits and the other is turned away at once.
        CompletableFuture<ControlFrame> two = CompletableFuture.supplyAsync(() -> call(s, "2"));
        CompletableFuture<ControlFrame> three = CompletableFuture.supplyAsync(() -> call(s, "3"));
        ControlFrame refused = (ControlFrame) CompletableFuture.anyOf(two, three).get(20, TimeUnit.SECONDS);
        assertEquals(FrameType.DEVICE_COMMAND_UNHANDLED, refused.type());
        assertEquals("app busy", text(refused));
        release.countDown();
        assertEquals("1", text(first.get(20, TimeUnit.SECONDS)));
        ControlFrame a = two.get(20, TimeUnit.SECONDS);
        ControlFrame b = three.get(20, TimeUnit.SECONDS);
        ControlFrame served = a.type() == FrameType.DEVICE_COMMAND_REPLY ? a : b;
        assertEquals(FrameType.DEVICE_COMMAND_REPLY, served.type());
        assertTrue(a.type() != b.type(), "one served, one refused");
    }

    private static ControlFrame call(FakeDevice.DeviceSession s, String msg) {
        try {
            return s.deviceCommand(utf8(msg), 30_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
