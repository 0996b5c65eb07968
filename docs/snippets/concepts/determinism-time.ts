import { formatDuration, parseDuration } from '@meshsim/sim-core';

console.log(parseDuration('1.5s')); // microseconds
console.log(parseDuration('250ms'));
console.log(parseDuration('1h30m'));
console.log(formatDuration(90_000_000)); // as istioctl prints durations
try {
  parseDuration('5 seconds');
} catch (error) {
  console.log(String(error));
}
