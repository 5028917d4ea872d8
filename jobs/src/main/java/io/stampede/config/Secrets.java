package io.stampede.config;

import java.util.Locale;

/** Which settings hold secrets, so they are never printed or logged. */
public final class Secrets {

    private Secrets() {}

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")
                || k.contains("routing") || k.endsWith(".key") || k.contains("credential");
    }
}
