export { formatCount, formatCountOf, formatPercent, formatShare } from "./number";
export { formatDuration, formatDurationBetween } from "./duration";
export { formatAbsoluteDate, formatExactDate, formatRelativeDate } from "./date";
