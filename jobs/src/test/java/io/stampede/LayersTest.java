package io.stampede;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies between Stampede's packages run one way, as the README's "Layout" section draws
 * them: contracts at the bottom, the pure core, the Flink operators, I/O, the CLI on top; the
 * simulator and the report beside. A lower layer never imports a higher one, and no packages
 * depend on each other in a cycle.
 */
@AnalyzeClasses(packages = "io.stampede", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("io.stampede.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layersDependDownwardsOnly = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer("config").definedBy("io.stampede.config..")
            .layer("admission").definedBy("io.stampede.admission..")
            .layer("event").definedBy("io.stampede.event..", "io.stampede.control..")
            .layer("core").definedBy("io.stampede.detect..", "io.stampede.alert..", "io.stampede.plan..")
            .layer("topology").definedBy("io.stampede.topology..")
            .layer("sim").definedBy("io.stampede.sim..")
            .layer("io").definedBy("io.stampede.io..", "io.stampede.deliver..")
            .layer("report").definedBy("io.stampede.report..")
            .layer("cli").definedBy("io.stampede.cli..", "io.stampede")
            .whereLayer("config").mayNotAccessAnyLayer()
            .whereLayer("admission").mayNotAccessAnyLayer()
            .whereLayer("event").mayOnlyAccessLayers("config", "admission")
            .whereLayer("core").mayOnlyAccessLayers("event", "config", "admission")
            .whereLayer("topology").mayOnlyAccessLayers("core", "event", "config", "admission")
            // The simulator models the world the job watches: it uses the contracts, never the job's own logic.
            .whereLayer("sim").mayOnlyAccessLayers("event", "config", "admission")
            .whereLayer("io").mayOnlyAccessLayers("topology", "core", "event", "config", "admission")
            .whereLayer("report").mayOnlyAccessLayers("io", "sim", "core", "event", "config", "admission")
            .whereLayer("cli").mayOnlyAccessLayers("report", "io", "sim", "topology", "core", "event", "config",
                    "admission");
}
