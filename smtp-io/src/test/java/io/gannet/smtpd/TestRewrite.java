package io.gannet.smtpd;

import io.gannet.rewrite.AddressClass;
import io.gannet.rewrite.Resolution;
import io.gannet.rewrite.TrivialRewrite;
import java.util.Locale;

/** trivial-rewrite for smtpd tests: example.com is local, relay.example is relayed. */
final class TestRewrite implements TrivialRewrite {

  @Override
  public String canonicalize(String address) {
    int at = address.lastIndexOf('@');
    if (address.isEmpty()) {
      return address;
    }
    if (at < 0) {
      return address + "@example.com";
    }
    return address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  @Override
  public AddressClass classify(String address) {
    String domain = address.substring(address.lastIndexOf('@') + 1);
    switch (domain) {
      case "example.com":
        return AddressClass.LOCAL;
      case "relay.example":
        return AddressClass.RELAY;
      default:
        return AddressClass.DEFAULT;
    }
  }

  @Override
  public Resolution resolve(String address) {
    return new Resolution(classify(address), "smtp", "", address);
  }
}
