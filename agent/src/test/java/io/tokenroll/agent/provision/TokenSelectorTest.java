package io.tokenroll.agent.provision;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.TokenInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSelectorTest {
  private static TokenInfo token(String label, String serial) {
    return new TokenInfo(1, "slot", label, serial, "SoftHSM project", "SoftHSM v2",
        Set.of(TokenInfo.Flag.TOKEN_INITIALIZED), null, null, List.of());
  }

  @Test
  void all_aPattern_andAList_eachSelectWhatTheySay() {
    assertTrue(TokenSelector.parse("all").matches(token("anything", "01")));
    TokenSelector desk = TokenSelector.parse("desk-*");
    assertTrue(desk.matches(token("desk-07", "01")));
    assertFalse(desk.matches(token("lab-07", "01")));
    assertFalse(desk.matches(token("xdesk-07", "01")), "the whole label, not a part");
    TokenSelector one = TokenSelector.parse("card-?");
    assertTrue(one.matches(token("card-1", "01")));
    assertFalse(one.matches(token("card-10", "01")));
    TokenSelector listed = TokenSelector.parse("alice, bob,0a1b2c");
    assertTrue(listed.matches(token("alice", "99")));
    assertTrue(listed.matches(token("carol", "0a1b2c")), "by serial number");
    assertFalse(listed.matches(token("carol", "99")));
  }

  @Test
  void regexCharactersInAPattern_areLiteral() {
    assertTrue(TokenSelector.parse("a.b(*").matches(token("a.b(1", "01")));
    assertFalse(TokenSelector.parse("a.b(*").matches(token("axb(1", "01")));
  }

  @Test
  void emptyInput_isRefusedClearly() {
    assertThrows(IllegalArgumentException.class, () -> TokenSelector.parse(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenSelector.parse("a,,b"));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  /** A typo in a list is said, not dropped: what names no present token, by label or serial. */
  @Test
  void aListedNameNoTokenHas_isUnmatched_andPatternsNeverAre() {
    var present = java.util.List.of(token("desk-01", "0a"), token("desk-02", "0b"));
    assertEquals(java.util.List.of("nope"), TokenSelector.parse("nope,desk-01,0b").unmatched(present));
    assertEquals(java.util.List.of(), TokenSelector.parse("desk-*").unmatched(present));
    assertEquals(java.util.List.of(), TokenSelector.parse("all").unmatched(present));
  }
}
