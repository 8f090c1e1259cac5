-- Sign-in counters were keyed by the client address (and a plain SHA-256 of the e-mail address);
-- they are now keyed digests (lib/auth/throttle.ts). Old rows would never match again and hold the
-- addresses: remove them (a lock in progress, at most 15 minutes, starts over).
DELETE FROM "sign_in_throttle";
