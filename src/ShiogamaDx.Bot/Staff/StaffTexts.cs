using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Staff;

/// <summary>What the staff channel itself says (Content/messages.yaml, section <c>staff</c>).</summary>
internal static class StaffTexts
{
    public static readonly MessageKey OutsideTenant = new("staff.outside-tenant");
}
