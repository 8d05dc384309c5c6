using System.Text;

namespace CallTracking.Engine.Cli;

/// <summary>Reads a secret from the terminal without echoing it, for <see cref="CliApp.PromptSecret"/>.</summary>
public static class ConsoleSecret
{
    /// <summary>The line typed after <paramref name="prompt"/> (on stderr); null when stdin is not a terminal.</summary>
    public static string? Read(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
