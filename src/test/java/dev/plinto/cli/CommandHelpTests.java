package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and sub-command of the command line answers {@code --help} and {@code help}: the whole tree is
 * walked in-process from the root command, so a new command is covered as soon as it is added.
 */
class CommandHelpTests {

	/** The path of every command below the root, e.g. {@code [keys, list]}, picocli's own {@code help} excepted. */
	static Stream<List<String>> commands() {
		List<List<String>> paths = new ArrayList<>();
		collect(new CommandLine(new PlintoCommand()), new ArrayList<>(), paths);
		return paths.stream();
	}

	private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
		paths.add(List.copyOf(path));
		command.getSubcommands().forEach((name, sub) -> {
			if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
				List<String> subPath = new ArrayList<>(path);
				subPath.add(name);
				collect(sub, subPath, paths);
			}
		});
	}

	record Run(int exitCode, String out, String err) {
	}

	private static Run run(List<String> args) {
		CommandLine cli = new CommandLine(new PlintoCommand());
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		cli.setOut(new PrintWriter(out, true));
		cli.setErr(new PrintWriter(err, true));
		int code = cli.execute(args.toArray(String[]::new));
		return new Run(code, out.toString(), err.toString());
	}

	@ParameterizedTest
	@MethodSource("commands")
	void helpOptionWhenAnyCommandThenUsageAndExit0WithoutRequiredOptions(List<String> path) {
		List<String> args = new ArrayList<>(path);
		args.add("--help");
		Run r = run(args);
		assertThat(r.exitCode()).as("plinto %s: %s", String.join(" ", args), r).isZero();
		assertThat(r.err()).as("plinto %s", String.join(" ", args)).isEmpty();
		String name = path.isEmpty() ? "plinto" : "plinto " + String.join(" ", path);
		assertThat(r.out()).startsWith("Usage: " + name).contains("-h, --help").doesNotContain("%%", "%n");
	}

	@ParameterizedTest
	@MethodSource("commands")
	void helpCommandWhenParentHasOneThenSameUsageAsTheHelpOption(List<String> path) {
		if (path.isEmpty()) {
			return;
		}
		List<String> viaHelp = new ArrayList<>(path.subList(0, path.size() - 1));
		viaHelp.add("help");
		viaHelp.add(path.get(path.size() - 1));
		List<String> viaOption = new ArrayList<>(path);
		viaOption.add("--help");
		Run help = run(viaHelp);
		assertThat(help.exitCode()).as("plinto %s: %s", String.join(" ", viaHelp), help).isZero();
		assertThat(help.out()).isEqualTo(run(viaOption).out());
	}

	/**
	 * picocli formats every description with {@link String#format}; a stray {@code %} makes it print a warning on
	 * its tracer and fall back to the raw text. The tracer writes to {@link System#err} (as it is when picocli is
	 * called), not to the command's error writer, so that is captured for the run.
	 */
	@ParameterizedTest
	@MethodSource("commands")
	void helpOptionWhenAnyCommandThenNoPicocliWarning(List<String> path) {
		PrintStream original = System.err;
		ByteArrayOutputStream warnings = new ByteArrayOutputStream();
		System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
		try {
			List<String> args = new ArrayList<>(path);
			args.add("--help");
			assertThat(run(args).exitCode()).isZero();
		}
		finally {
			System.setErr(original);
		}
		assertThat(warnings.toString(StandardCharsets.UTF_8)).as("plinto %s --help", String.join(" ", path)).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("commands")
	void helpCommandWhenCommandHasSubcommandsThenOfferedAndListed(List<String> path) {
		CommandLine command = new CommandLine(new PlintoCommand());
		for (String name : path) {
			command = command.getSubcommands().get(name);
		}
		if (command.getSubcommands().isEmpty()) {
			return;
		}
		assertThat(command.getSubcommands()).containsKey("help");
		List<String> args = new ArrayList<>(path);
		args.add("help");
		Run r = run(args);
		assertThat(r.exitCode()).isZero();
		assertThat(r.out()).contains(command.getSubcommands().keySet().stream().filter(n -> !n.equals("help"))
			.toArray(String[]::new));
	}
}
