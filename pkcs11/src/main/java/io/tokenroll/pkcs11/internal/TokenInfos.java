package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.MechanismSupport;
import io.tokenroll.pkcs11.PinStatus;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xipki.pkcs11.wrapper.MechanismInfo;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Token;

/** Reads C_GetTokenInfo, C_GetSlotInfo and the mechanism list into {@link TokenInfo}. */
final class TokenInfos {
  private TokenInfos() {
  }

  static TokenInfo read(Token token, List<MechanismSupport> mechanisms) throws TokenException {
    try {
      org.xipki.pkcs11.wrapper.TokenInfo ti = token.getTokenInfo();
      String slotDescription = token.getSlot().getSlotInfo().getSlotDescription().trim();
      long f = ti.getFlags();
      Set<TokenInfo.Flag> flags = EnumSet.noneOf(TokenInfo.Flag.class);
      flag(flags, f, CKF_TOKEN_INITIALIZED, TokenInfo.Flag.TOKEN_INITIALIZED);
      flag(flags, f, CKF_USER_PIN_INITIALIZED, TokenInfo.Flag.USER_PIN_INITIALIZED);
      flag(flags, f, CKF_LOGIN_REQUIRED, TokenInfo.Flag.LOGIN_REQUIRED);
      flag(flags, f, CKF_WRITE_PROTECTED, TokenInfo.Flag.WRITE_PROTECTED);
      flag(flags, f, CKF_PROTECTED_AUTHENTICATION_PATH, TokenInfo.Flag.PROTECTED_AUTHENTICATION_PATH);
      flag(flags, f, CKF_RNG, TokenInfo.Flag.RNG);
      flag(flags, f, CKF_CLOCK_ON_TOKEN, TokenInfo.Flag.CLOCK_ON_TOKEN);
      PinStatus user = new PinStatus((f & CKF_USER_PIN_COUNT_LOW) != 0, (f & CKF_USER_PIN_FINAL_TRY) != 0,
          (f & CKF_USER_PIN_LOCKED) != 0, (f & CKF_USER_PIN_TO_BE_CHANGED) != 0);
      PinStatus so = new PinStatus((f & CKF_SO_PIN_COUNT_LOW) != 0, (f & CKF_SO_PIN_FINAL_TRY) != 0,
          (f & CKF_SO_PIN_LOCKED) != 0, (f & CKF_SO_PIN_TO_BE_CHANGED) != 0);
      return new TokenInfo(token.getTokenID(), slotDescription, ti.getLabel().trim(), ti.getSerialNumber().trim(),
          ti.getManufacturerID().trim(), ti.getModel().trim(), flags, user, so, mechanisms);
    } catch (PKCS11Exception e) {
      throw new TokenException("cannot read the token in slot " + token.getTokenID() + ": " + e.getErrorName()
          + ("CKR_TOKEN_NOT_PRESENT".equals(e.getErrorName()) ? " (token removed)" : ""), e.getErrorName(), e);
    }
  }

  static TokenInfo withMechanisms(TokenInfo t, List<MechanismSupport> mechanisms) {
    return new TokenInfo(t.slotId(), t.slotDescription(), t.label(), t.serial(), t.manufacturer(), t.model(),
        t.flags(), t.userPin(), t.soPin(), mechanisms);
  }

  static List<MechanismSupport> mechanisms(PKCS11Module module, Token token) {
    List<MechanismSupport> list = new ArrayList<>();
    for (long code : token.getMechanismList()) {
      MechanismInfo mi = token.getMechanismInfo(code);
      if (mi != null) {
        list.add(new MechanismSupport(module.codeToName(Category.CKM, code), code, mi.getMinKeySize(),
            mi.getMaxKeySize(), mi.getFlags()));
      }
    }
    return List.copyOf(list);
  }

  private static void flag(Set<TokenInfo.Flag> flags, long bits, long mask, TokenInfo.Flag flag) {
    if ((bits & mask) != 0) {
      flags.add(flag);
    }
  }
}
