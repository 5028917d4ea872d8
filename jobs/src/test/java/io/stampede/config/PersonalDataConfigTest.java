package io.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.Fixtures;
import io.stampede.cli.StampedeCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** input.personalData: which fields are personal, and the key that hashes them (a secret). */
class PersonalDataConfigTest {

    private static final String KEY = "k3y-0f-the-personal-data-hmac-0123456789";

    @Test
    void byDefaultTheAccountIdIsRedactedWithoutAKey() {
        StampedeConfig.PersonalData p = ConfigLoader.defaults().input().personalData();
        assertThat(p.fields()).containsExactly("accountId");
        assertThat(p.key()).isEmpty();
    }

    @Test
    void moreFieldsCanBeListed() {
        StampedeConfig.PersonalData p = ConfigLoader.load(null,
                List.of("input.personalData.fields=[accountId, email]")).input().personalData();
        assertThat(p.fields()).containsExactly("accountId", "email");
    }

    @Test
    void theAccountIdCannotBeLeftOut() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.personalData.fields=[email]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.personalData.fields must include accountId");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.personalData.fields=[]")))
                .hasMessageContaining("input.personalData.fields must include accountId");
    }

    @Test
    void fieldsMustBeAList() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.personalData.fields=accountId")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.personalData.fields").hasMessageContaining("list");
    }

    @Test
    void aShortKeyIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.personalData.key=short-s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.personalData.key must be empty")
                .hasMessageContaining("at least 32 characters")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-s3cret"));
    }

    @Test
    void theKeyIsASecretNeverPrinted() {
        StampedeConfig config = ConfigLoader.load(null, List.of("input.personalData.key=" + KEY));
        assertThat(config.input().personalData().key()).isEqualTo(KEY);
        assertThat(config.toString()).doesNotContain(KEY).contains("key=******");

        String out = Fixtures.stdout(() -> assertThat(StampedeCli.execute("config", "--set",
                "input.personalData.key=" + KEY)).isZero());
        assertThat(out).doesNotContain(KEY).contains("\"key\" : \"******\"").contains("configuration is valid");
    }

    @Test
    void theDefaultsListTheSettings() {
        String out = Fixtures.stdout(() -> assertThat(StampedeCli.execute("config", "--defaults")).isZero());
        assertThat(out).contains("personalData:").contains("fields: [accountId]").contains("key: \"\"");
    }
}
