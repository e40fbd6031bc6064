package io.etcdguard.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checked-in CRD is what the chart and deploy/ ship, so it must be exactly what the generator makes from
 * the Java types: a type change without a refreshed CRD would ship an API server schema that disagrees
 * with the operator. Both CRDs: the policy and the node agent's report.
 */
class CrdDriftTest {
  static final String REFRESH_COMMAND = "./mvnw -B -pl crd -Pupdate-crd process-classes";

  @ParameterizedTest(name = "{0}")
  @CsvSource({"NodeAddressPolicy, crd.generated, crd.checkedIn", "NodeAddressReport, reportCrd.generated, reportCrd.checkedIn"})
  void checkedInCrdIsTheGeneratedOne(String kind, String generatedProperty, String checkedInProperty) throws IOException {
    Path generated = CrdFixtures.existingFile(generatedProperty);
    Path checkedIn = CrdFixtures.existingFile(checkedInProperty);
    String generatedText = normalisedText(generated);
    String checkedInText = normalisedText(checkedIn);

    if (!checkedInText.equals(generatedText)) {
      fail(String.format("%s differs from the CRD generated from the Java types (%s): %s%n"
          + "Refresh it with:%n  %s%nthen review and commit the change.",
          checkedIn, generated, firstDifference(checkedInText, generatedText), REFRESH_COMMAND));
    }
  }

  /** Only line endings are normalised: a checkout with CRLF must not count as drift, anything else does. */
  private static String normalisedText(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
  }

  /** The first differing line, so the failure points at the change instead of printing two whole files. */
  static String firstDifference(String checkedIn, String generated) {
    String[] checkedInLines = checkedIn.split("\n", -1);
    String[] generatedLines = generated.split("\n", -1);
    int line = 0;
    while (line < checkedInLines.length && line < generatedLines.length
        && checkedInLines[line].equals(generatedLines[line])) {
      line++;
    }
    return String.format("first difference at line %d:%n  checked in: %s%n  generated:  %s", line + 1,
        line < checkedInLines.length ? checkedInLines[line] : "<end of file>",
        line < generatedLines.length ? generatedLines[line] : "<end of file>");
  }
}
