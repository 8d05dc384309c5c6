namespace CallTracking.Engine.Cli;

/// <summary>Process exit codes.</summary>
public static class CliExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad command line (unknown option, missing value).</summary>
    public const int Usage = 2;

    /// <summary>EX_DATAERR: a file is not what it should be (a model whose checksum matches no published model).</summary>
    public const int DataError = 65;

    /// <summary>EX_CONFIG from sysexits.h: the configuration is invalid.</summary>
    public const int Config = 78;

    /// <summary>EX_UNAVAILABLE: the configuration was valid but the engine could not start (a SIP port in use).</summary>
    public const int StartFailed = 69;
}
