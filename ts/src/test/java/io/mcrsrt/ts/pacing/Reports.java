package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;

/** Assertions on what the analyser found in what a looper played. */
final class Reports {
    private Reports() {
    }

    /** Fails naming the first of {@code indicators} that {@code report} counted, with its last detail. */
    static void assertNone(AnalysisReport report, Indicator... indicators) {
        for (Indicator i : indicators) {
            var errors = report.errors().get(i);
            assertThat(report.count(i)).as("%s: %s", i.label(), errors == null ? "" : errors.lastDetail()).isZero();
        }
    }
}
