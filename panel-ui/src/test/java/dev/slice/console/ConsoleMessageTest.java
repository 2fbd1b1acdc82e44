package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.capability.TerminalSize;
import org.junit.jupiter.api.Test;

class ConsoleMessageTest {

    @Test
    void aResizeCarriesRowsAndColumns() {
        assertThat(ConsoleMessage.parse("{\"type\":\"resize\",\"rows\":40,\"cols\":127}"))
                .isEqualTo(new ConsoleMessage.Resize(new TerminalSize(40, 127)));
    }

    @Test
    void inputCarriesTheKeystrokes() {
        assertThat(ConsoleMessage.parse("{\"type\":\"input\",\"data\":\"ls\\r\"}")).isEqualTo(new ConsoleMessage.Input("ls\r"));
    }

    @Test
    void aBadMessageNamesTheFieldAtFault() {
        assertThatThrownBy(() -> ConsoleMessage.parse("{\"type\":\"resize\",\"rows\":0,\"cols\":80}"))
                .isInstanceOf(ConsoleMessage.BadMessage.class).hasMessageContaining("'rows'");
        assertThatThrownBy(() -> ConsoleMessage.parse("{\"type\":\"resize\",\"rows\":24,\"cols\":\"80\"}"))
                .hasMessageContaining("'cols'");
        assertThatThrownBy(() -> ConsoleMessage.parse("{\"type\":\"resize\",\"rows\":24,\"cols\":100000}"))
                .hasMessageContaining("'cols'");
        assertThatThrownBy(() -> ConsoleMessage.parse("{\"type\":\"paste\"}")).hasMessageContaining("'type'");
        assertThatThrownBy(() -> ConsoleMessage.parse("{\"type\":\"input\"}")).hasMessageContaining("'data'");
        assertThatThrownBy(() -> ConsoleMessage.parse("ls\r")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ConsoleMessage.parse("[1]")).hasMessageContaining("JSON object");
    }
}
