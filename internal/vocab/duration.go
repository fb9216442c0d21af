package vocab

import (
	"math"
	"strconv"
	"time"
)

// units are the words of Duration, largest first; a year is 365 days.
var units = [...]struct {
	size      time.Duration
	one, many string
}{
	{365 * 24 * time.Hour, "year", "years"},
	{24 * time.Hour, "day", "days"},
	{time.Hour, "hour", "hours"},
	{time.Minute, "minute", "minutes"},
	{time.Second, "second", "seconds"},
}

// Duration words a span of time (its sign ignored) in its largest unit
// and, when it is not zero, the next one, rounded to the second: "3 days 4
// hours", "1 hour", "12 minutes 5 seconds", "1 year 12 days". A span
// under a second is worded in milliseconds ("500 milliseconds"), so that
// a token half a second from expiry is not "0 seconds" away.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
		if d < 0 { // -math.MinInt64 overflows
			d = math.MaxInt64
		}
	}
	switch {
	case d == 0:
		return "0 seconds"
	case d < time.Millisecond:
		return "less than a millisecond"
	case d < time.Second-time.Millisecond/2:
		return count(int64(d.Round(time.Millisecond)/time.Millisecond), "millisecond", "milliseconds")
	}
	d = d.Round(time.Second)
	i := 0
	for i < len(units)-1 && d < units[i].size {
		i++
	}
	u := units[i]
	out := count(int64(d/u.size), u.one, u.many)
	if i+1 < len(units) {
		next := units[i+1]
		if n := int64(d % u.size / next.size); n > 0 {
			out += " " + count(n, next.one, next.many)
		}
	}
	return out
}

// count is "1 day" or "3 days".
func count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
