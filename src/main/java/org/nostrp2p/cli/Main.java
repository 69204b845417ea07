package org.nostrp2p.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The nostrp2p command: one program for the node, key generation, a local devnet and the client. */
@Command(name = "nostrp2p",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "NostrP2P: pure peer-to-peer microblogging. Run your own node; your client talks only to it.",
        subcommands = {GenkeyCommand.class, ServerCommand.class, DevnetCommand.class,
                InitCommand.class, BindCommand.class, PublishCommands.Post.class, PublishCommands.Reply.class, PublishCommands.Mention.class,
                PublishCommands.Quote.class, PublishCommands.Repost.class, PublishCommands.React.class,
                PublishCommands.Follow.class, PublishCommands.Unfollow.class, PublishCommands.Delete.class, PublishCommands.DirectMessage.class, ProfileCommand.class,
                ReadCommands.Timeline.class, ReadCommands.Thread.class, ReadCommands.Notifications.class,
                ReadCommands.Following.class, ReadCommands.Followers.class, ReadCommands.DirectMessages.class, WatchCommand.class, AotTrainingCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::onBadArguments);
        cl.setExecutionExceptionHandler(Main::onFailure);
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Wrong or missing flags: one line saying what, one saying where help is; exit 2. */
    private static int onBadArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the flags.");
        return 2;
    }

    /** A command that failed at run time: one clear line, no stack trace (that goes to the debug log). */
    private static int onFailure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        LoggerFactory.getLogger(Main.class).atDebug().setCause(ex).log("command failed");
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        return ex instanceof UserError ue ? ue.exitCode() : 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"nostrp2p " + org.nostrp2p.util.AppVersion.current()};
        }
    }
}
