namespace CallTracking.Engine.Dashboard;

/// <summary>What <see cref="DashboardUserStore.AddAsync"/> did.</summary>
public enum DashboardUserAddResult
{
    Created,
    NoSuchOrganisation,
    UsernameTaken,
}
