package io.stampede.topology;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each of the few values device attributes take (regions, platforms, builds,
 * client versions, update ids), so that a million devices' state does not hold a million copies
 * of "eu-west". Bounded: past {@link #MAX_VALUES} distinct values, new ones are kept as they are.
 */
final class Interned {

    static final int MAX_VALUES = 65_536;
    private static final ConcurrentHashMap<String, String> VALUES = new ConcurrentHashMap<>();

    private Interned() {}

    static String of(String value) {
        if (value == null) {
            return null;
        }
        String known = VALUES.get(value);
        if (known != null) {
            return known;
        }
        if (VALUES.size() >= MAX_VALUES) {
            return value;
        }
        known = VALUES.putIfAbsent(value, value);
        return known == null ? value : known;
    }
}
