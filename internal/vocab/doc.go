// Package vocab is the JWT vocabulary that internal/token and
// internal/explain share, so that each word is defined once and both say
// the same thing about the same token:
//
//   - the token kinds ([Kind]): every kind Verify checks and Explain
//     teaches, with its name for people ("ID token", "an ID token") and
//     the rule set Verify applies to it;
//   - NumericDate (RFC 7519 §2): the range of seconds read as a date,
//     the conversion that keeps fractions of a second ([NumericDate]) and
//     how a date is written ([Timestamp]);
//   - how a span of time is worded ([Duration]: "3 days 4 hours");
//   - the well-known URIs the specifications define ([BackchannelLogoutEvent]).
//
// It is plain data and pure functions: no state, no I/O.
package vocab
