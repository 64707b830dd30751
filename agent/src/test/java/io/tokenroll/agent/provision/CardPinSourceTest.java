package io.tokenroll.agent.provision;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.TokenInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each card's PIN source from the run's pattern: {label} and {serial} replaced, never a path out of the folder. */
class CardPinSourceTest {
  private static TokenInfo token(String label, String serial) {
    return new TokenInfo(1, "slot", label, serial, "SoftHSM project", "SoftHSM v2",
        Set.of(TokenInfo.Flag.TOKEN_INITIALIZED), null, null, List.of());
  }

  @Test
  void theCardsOwnLabelAndSerial_areFilledIn() {
    assertEquals("file:/pins/desk-1-0a1b.pin", Provisioning.pinSource("file:/pins/{label}-{serial}.pin",
        token("desk-1", "0a1b")));
    assertEquals("env:PIN", Provisioning.pinSource("env:PIN", token("../x", "0a1b")), "no pattern: as given");
  }

  @Test
  void aLabelThatWouldLeaveTheFolder_isRefused() {
    for (String label : List.of("../etc", "a/b", "..", "bad\nline")) {
      assertThrows(IllegalArgumentException.class,
          () -> Provisioning.pinSource("file:/pins/{label}.pin", token(label, "01")), label);
    }
  }
}
