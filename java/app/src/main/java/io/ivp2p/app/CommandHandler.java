package io.ivp2p.app;

/**
 * Answers commands the device sends ({@code iv_avt_p2p_send_command}). Runs on the session's
 * command thread, one command at a time per session, never on the thread that reads replies, so a
 * slow handler delays only later device commands of its session.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @param handle the session the command came on
     * @param msg    the device's message
     * @return the reply bytes, or null for no reply (the device then gets DEVICE_COMMAND_UNHANDLED)
     */
    byte[] onCommand(int handle, byte[] msg);
}
