package io.stampede.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A number within bounds; a bound left out is open. Checked by {@link ConfigCheck}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Range {

    double min() default Double.NEGATIVE_INFINITY;

    /** Whether {@link #min} itself is refused. */
    boolean minExclusive() default false;

    double max() default Double.POSITIVE_INFINITY;

    /** Why the bounds are what they are, told with the problem. */
    String why() default "";
}
