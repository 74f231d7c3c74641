package dev.plinto;

import dev.plinto.cli.PlintoCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Plinto: a self-hosted authentication and user-management server. */
@SpringBootApplication
public class PlintoApplication {

	public static void main(String[] args) {
		PlintoCommand.main(PlintoApplication.class, args);
	}
}
