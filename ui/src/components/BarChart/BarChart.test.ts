// Axis ticks of the bar chart: round steps, at most four intervals, enough decimals.
import { describe, expect, it } from "vitest";
import { axisTicks } from "./BarChart";

describe("axis ticks", () => {
  it("covers the maximum with a round step", () => {
    expect(axisTicks(262)).toEqual({ ticks: [0, 100, 200, 300], decimals: 0 });
    expect(axisTicks(81)).toEqual({ ticks: [0, 25, 50, 75, 100], decimals: 0 });
    expect(axisTicks(100)).toEqual({ ticks: [0, 25, 50, 75, 100], decimals: 0 });
    expect(axisTicks(3696)).toEqual({ ticks: [0, 1000, 2000, 3000, 4000], decimals: 0 });
    expect(axisTicks(0.42)).toEqual({ ticks: [0, 0.2, 0.4, 0.6], decimals: 1 });
    expect(axisTicks(0.09)).toEqual({ ticks: [0, 0.025, 0.05, 0.075, 0.1], decimals: 3 });
    expect(axisTicks(1)).toEqual({ ticks: [0, 0.25, 0.5, 0.75, 1], decimals: 2 });
  });

  it("draws something sensible for nothing", () => {
    expect(axisTicks(0)).toEqual({ ticks: [0, 1], decimals: 0 });
    expect(axisTicks(Number.NaN)).toEqual({ ticks: [0, 1], decimals: 0 });
  });
});
