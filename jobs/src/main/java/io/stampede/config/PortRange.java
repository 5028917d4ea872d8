package io.stampede.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Empty (off), a port, or a range of ports {@code low-high}, as Flink's port settings take them.
 * Checked by {@link ConfigCheck}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface PortRange {}
