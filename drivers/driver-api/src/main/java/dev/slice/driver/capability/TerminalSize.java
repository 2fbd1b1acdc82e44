package dev.slice.driver.capability;

/**
 * The size of the terminal a console is shown in, in character cells. Bounded so that no client can ask a
 * guest's tty for an absurd window (struct winsize holds unsigned shorts; 1000 is far past any screen).
 */
public record TerminalSize(int rows, int columns) {
    public static final int MAX = 1000;

    public TerminalSize {
        if (rows < 1 || rows > MAX) throw new IllegalArgumentException("rows must be 1.." + MAX + ", was " + rows);
        if (columns < 1 || columns > MAX) throw new IllegalArgumentException("cols must be 1.." + MAX + ", was " + columns);
    }

    @Override
    public String toString() {
        return rows + "x" + columns;
    }
}
