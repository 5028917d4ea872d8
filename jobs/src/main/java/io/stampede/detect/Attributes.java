package io.stampede.detect;

/** The device attributes attribution looks at, named as the input fields are. */
public final class Attributes {

    public static final String UPDATE_ID = "updateId";
    public static final String OS_BUILD = "osBuild";
    public static final String CLIENT_VERSION = "clientVersion";
    public static final String REBOOT_REASON = "rebootReason";
    public static final String PLATFORM = "platform";

    private Attributes() {}

    public static String key(String attribute, String value) {
        return attribute + '=' + value;
    }

    public static String attribute(String key) {
        return key.substring(0, key.indexOf('='));
    }

    public static String value(String key) {
        return key.substring(key.indexOf('=') + 1);
    }
}
