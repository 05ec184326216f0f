package io.tributary.providers;

/** One provider's reading of its own answers: what is success, auth failure, rate limit, error. */
public interface ResponseRules {
  Provider provider();

  Verdict classify(ProviderResponse response);
}
