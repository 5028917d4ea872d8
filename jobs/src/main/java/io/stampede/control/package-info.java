/**
 * What operators tell Stampede while it runs: maintenance windows, throttle switches and per-region
 * settings ({@code schemas/control.schema.json}). Controls are read from the control topic (or a
 * {@code --control} file), checked whole before anything of them is applied, and looked up in event
 * time, so a backtest given the same controls makes the same decisions as the live run.
 */
package io.stampede.control;
