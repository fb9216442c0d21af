package vocab

// BackchannelLogoutEvent is the member of a logout token's events claim
// that declares it a logout token (OIDC Back-Channel Logout 1.0 §2.4).
const BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"
