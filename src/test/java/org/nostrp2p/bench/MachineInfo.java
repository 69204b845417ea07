package org.nostrp2p.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One line naming the machine a benchmark ran on, printed before its figures. */
public final class MachineInfo {
    private MachineInfo() {}

    /** Prints the machine line (scripts/bench.sh attacks prints it before the attack figures). */
    public static void main(String[] args) {
        System.out.println(describe());
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: keep "unknown CPU"
        }
        long memMb = 0;
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memMb = lines.filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).orElse(0L);
        } catch (Exception ignored) {
            // not Linux
        }
        return String.format("machine: %d cores (%s), %d MB RAM, %s %s, JDK %s",
                Runtime.getRuntime().availableProcessors(), cpu, memMb,
                System.getProperty("os.name"), System.getProperty("os.version"), Runtime.version());
    }

    /** Resident set size of a process in MB, from /proc (Linux). */
    public static long rssMb(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }

    /** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
