package io.etcdguard.classify;

/** Confirmed: a fact from the inputs. Suspected: an inference the inputs cannot prove (e.g. a temporary address). */
public enum Confidence {
  Confirmed,
  Suspected
}
