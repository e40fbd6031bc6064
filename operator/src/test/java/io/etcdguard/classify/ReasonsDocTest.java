package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/reasons.md documents exactly the reasons the code can raise. */
class ReasonsDocTest {
  @Test
  void everyReasonHasASectionAndEverySectionIsAReason() throws IOException {
    Path doc = Fixtures.docs().resolve("reasons.md");
    String text = Files.readString(doc);
    Matcher m = Pattern.compile("(?m)^## (\\w+)$").matcher(text);
    List<String> sections = new java.util.ArrayList<>();
    while (m.find()) {
      sections.add(m.group(1));
    }
    List<String> reasons = Arrays.stream(Reason.values()).map(Reason::name).toList();
    assertThat(sections.stream().filter(s -> Character.isUpperCase(s.charAt(0)) && !s.contains(" ")).toList())
        .containsExactlyInAnyOrderElementsOf(reasons);
    for (String reason : reasons) {
      String section = text.substring(text.indexOf("## " + reason));
      assertThat(section).as(reason).contains("**Meaning**", "**Decided**", "**Fix**");
    }
  }

  @Test
  void thePrimaryReasonOrderIsTheCodesOrder() throws IOException {
    String text = Files.readString(Fixtures.docs().resolve("reasons.md"));
    String section = text.substring(text.indexOf("## Primary reason"), text.indexOf("## How the fix is chosen"));
    Matcher m = Pattern.compile("(?m)^\\d+\\. `(\\w+)`").matcher(section);
    List<String> documented = new java.util.ArrayList<>();
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).containsExactlyElementsOf(Reason.PRIMARY_ORDER.stream().map(Reason::name).toList());
  }

  @Test
  void everyRiskHasASubsectionAndEverySubsectionIsARisk() throws IOException {
    String text = Files.readString(Fixtures.docs().resolve("reasons.md"));
    Matcher m = Pattern.compile("(?m)^### (\\w+)$").matcher(text);
    List<String> sections = new java.util.ArrayList<>();
    while (m.find()) {
      sections.add(m.group(1));
    }
    List<String> risks = Arrays.stream(Risk.values()).map(Risk::name).toList();
    assertThat(sections).containsExactlyInAnyOrderElementsOf(risks);
    for (String risk : risks) {
      assertThat(text.substring(text.indexOf("### " + risk))).as(risk).contains("**Meaning**", "**Decided**", "**Fix**");
    }
  }
}
