package io.tokenroll.pkcs11;

import io.tokenroll.pkcs11.internal.WrapperModule;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A provider of tokens: a loaded PKCS#11 library, or — named {@code piv} instead of a library path — the PIV cards
 * in the PC/SC readers ({@link io.tokenroll.pkcs11.piv.PivModule}). A library is initialised once per process
 * however often it is loaded; each {@code load} is balanced by a {@link #close()}, and the last close finalises it.
 */
public interface TokenModule extends AutoCloseable {

  /** Loads and initialises a PKCS#11 library. */
  static TokenModule load(Path library) throws TokenException {
    return load(library, null);
  }

  /**
   * Loads a library that needs an initialisation string in C_Initialize's {@code pReserved}
   * (NSS softoken: {@code configdir='sql:/path' certPrefix='' keyPrefix='' secmod='secmod.db' flags=}).
   */
  static TokenModule load(Path library, String initArgs) throws TokenException {
    if (library.equals(io.tokenroll.pkcs11.piv.PivModule.NAME)) {
      return io.tokenroll.pkcs11.piv.PivModule.open();
    }
    return WrapperModule.load(library, initArgs);
  }

  Path library();

  /** Library manufacturer, description and version as C_GetInfo reports them (empty when unavailable). */
  String description();

  /** Tokens present in the module's slots. */
  List<TokenInfo> tokens() throws TokenException;

  /**
   * The one token a URI selects. An empty selection is accepted when exactly one initialised token is present.
   *
   * @throws TokenNotFoundException when none or several match, listing what is there
   */
  TokenInfo select(Pkcs11Uri uri) throws TokenException;

  /** Opens the selected token without logging in. */
  TokenSession open(Pkcs11Uri uri) throws TokenException;

  /** Opens the selected token and logs the user in once, with a PIN from {@code pins}. */
  default TokenSession open(Pkcs11Uri uri, PinSource pins) throws TokenException {
    TokenSession session = open(uri);
    try {
      session.login(pins);
      return session;
    } catch (TokenException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * Initialises the first uninitialised token (C_InitToken) with a label and SO PIN, then sets its user PIN — unless
   * {@code userPin} is null: the token then has an SO PIN only, as a card from the factory. SoftHSM2 always offers
   * one such slot; smart cards are usually initialised by their issuer instead.
   */
  TokenInfo initializeToken(String label, PinSource soPin, PinSource userPin) throws TokenException;

  @Override
  void close();
}
