package io.stampede.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A duration within bounds, written as in the configuration ({@code 1s}, {@code 5m}); a bound left
 * out is open. Checked by {@link ConfigCheck}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface DurationRange {

    String min() default "";

    String max() default "";

    /** Whether the duration must be whole seconds. */
    boolean wholeSeconds() default false;

    /** Why the bounds are what they are, told with the problem. */
    String why() default "";
}
