package io.stampede.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An http(s) URL with a host. Checked by {@link ConfigCheck}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface HttpUrl {

    /** A URL that would be accepted, shown with the problem. */
    String example();

    /** Whether empty text is accepted (it turns the feature off). */
    boolean emptyMeansOff() default false;

    /** Names written {@code {name}} in the URL, filled in when it is used: checked as the URL will be sent. */
    String[] placeholders() default {};
}
